"""The app's frame: launching an event into its window, the main window and its menus, the
organiser's locked page."""
