"""``python -m hpobench [overrides]``: run (or resume) a study configured by Hydra (conf/config.yaml)."""

from hpobench.cli import main

if __name__ == "__main__":
    main()
