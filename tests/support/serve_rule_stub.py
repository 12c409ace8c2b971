"""Serve the rule-based stub model on 127.0.0.1 until killed (for benchmarks and manual runs).

    python -m tests.support.serve_rule_stub --latency 0.2
prints the base URL (…/v1) on its first line, then serves.
"""

from __future__ import annotations

import argparse
import sys
import time

from tests.support.rule_stub import RuleModel
from tests.support.stub_openai import StubOpenAI


def main() -> None:
    """Start the stub and block."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    args = parser.parse_args()
    stub = StubOpenAI().start()
    stub.responder = RuleModel(latency=args.latency).reply
    print(stub.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        stub.stop()
    sys.exit(0)


if __name__ == "__main__":
    main()
