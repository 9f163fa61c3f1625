"""The desk: what a volunteer at the check-in table sees and uses all day."""
