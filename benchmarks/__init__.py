"""Benchmarks: `make bench` runs every case in its own process and reports time and peak memory."""
