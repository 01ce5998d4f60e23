"""Site engines (issue 14): the `engine` part writes this package; this file only makes it
importable until that part lands."""
