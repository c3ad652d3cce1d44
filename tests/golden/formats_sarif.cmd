report --format sarif
