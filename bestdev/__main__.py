from bestdev.cli import main

raise SystemExit(main())
