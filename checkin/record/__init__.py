"""The record that proves itself: row images sealed in the audit chain (images, seal), their
replay by `checkin verify` (replay), and the chain compared with copies made earlier (copies)."""
