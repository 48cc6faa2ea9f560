"""Small helpers shared by several rooms (the guarded URL fetcher, the file cache). They know nothing of the
rooms above them: no models of ours, no services."""
