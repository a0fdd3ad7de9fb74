"""`python -m d4a_desktop` runs the command line; `python -m d4a_desktop gui` the program."""

import sys

if len(sys.argv) > 1 and sys.argv[1] == "gui":
    import gc

    gc.disable()  # while the start builds its objects: see app.main
    from d4a_desktop import keptcode

    keptcode.install()  # before the first dataclass: the program's imports define them
    from d4a_desktop.app import main as gui_main

    sys.exit(gui_main(sys.argv[2:]))
else:
    from d4a_desktop.cli import main

    sys.exit(main())
