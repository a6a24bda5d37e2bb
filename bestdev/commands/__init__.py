"""One module per `bestdev` subcommand; each has `register(subcommands)`."""
