report --format junit
