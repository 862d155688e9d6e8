"""Run every benchmark: `python -m bench` (or `make bench`)."""

from bench import clv_fit

if __name__ == "__main__":
    clv_fit.main()
