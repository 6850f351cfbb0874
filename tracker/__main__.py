"""Allow `python -m tracker`."""

from tracker.launch import main

if __name__ == "__main__":
    main()
