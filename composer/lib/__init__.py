"""Small helpers shared by several rooms (the guarded URL fetcher, the file cache, the Content-Security-Policy
middleware). They know nothing of the rooms above them: no models of ours, no services."""
