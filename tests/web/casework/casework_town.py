"""Constants of the hand-built caseload in conftest.py that tests compare against."""

BSN_K3 = "111222333"  # passes the 11-proef (tests/web/dataset_files.py)
