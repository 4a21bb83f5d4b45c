"""Benchmark harness for resolver: see bench/README.md."""
