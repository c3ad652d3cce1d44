report --format sarif --source-root tests/golden/formats_src
