"""The experiment register: municipality, experiment, arms, persons and their records, mirroring the dataset format."""
