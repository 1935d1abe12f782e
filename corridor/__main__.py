from corridor.cli import run

run()
