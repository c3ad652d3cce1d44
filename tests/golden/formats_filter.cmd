report --color never --kind lock-order-inversion --kind double-lock --min-severity error
