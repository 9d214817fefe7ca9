"""The console command's exit statuses (``callrail-async --help`` lists them)."""

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_UNVERIFIED = 3
EXIT_INTERRUPTED = 130
