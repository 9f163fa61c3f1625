"""The record that proves itself: the hash-chained audit log and `checkin verify` (audit), row
images sealed in the chain (images, seal), their replay (replay), the chain compared with copies
made earlier (copies), and undo, which is itself recorded (undo)."""
