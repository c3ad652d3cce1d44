#!/bin/bash
# `lockcheck order` on generated graphs: the feedback arc set it leaves out.
#
# Each case is a random DAG over a hidden order of N locks (named so that
# identity order says nothing about the hidden order), plus K edges that go
# backwards in it, written as one graph event. The hidden order goes against
# exactly K edges, so an order against more than K is not a minimum. Checked:
#   - the output lists every lock that has an edge, once;
#   - it goes against at most K edges (graphs up to 16 locks: the exact
#     search; larger ones: the greedy heuristic, which may not find the
#     optimum, checked against K + K/2 and reported when above K);
#   - the "# against this order: A -> B" comments name exactly the edges that
#     go backwards in the listed order, and every other edge goes forwards;
#   - the stderr list names as many edges as the file;
#   - the output is the same when the graph's edges come in another order.
LC=${LOCKCHECK:-tools/lockcheck}
[ -x "$LC" ] || { echo "FAIL: $LC is not built"; exit 1; }
t=$(mktemp -d "${TMPDIR:-/tmp}/order_fas.XXXXXX") || exit 1
trap 'rm -rf "$t"' EXIT

# gen SEED N M K [REVERSE]: a report file with one graph event on stdout;
# the edges (one "from to" per line) in $t/edges.
gen() {
	awk -v seed="$1" -v n="$2" -v m="$3" -v k="$4" -v rev="${5:-0}" \
	    -v edges="$t/edges" '
	BEGIN {
		srand(seed)
		# hidden[i]: the node at position i of the hidden order; names
		# are random so identity order is not the hidden order.
		for (i = 0; i < n; i++) { p[i] = i }
		for (i = n - 1; i > 0; i--) { j = int(rand() * (i + 1)); x = p[i]; p[i] = p[j]; p[j] = x }
		for (i = 0; i < n; i++) name[i] = sprintf("L%03d_%d", p[i], seed)
		ne = 0
		tries = 0
		while (ne < m && tries < 100000) {
			tries++
			a = int(rand() * n); b = int(rand() * n)
			if (a == b) continue
			if (a > b) { x = a; a = b; b = x }
			if ((a, b) in has) continue
			has[a, b] = 1; ef[ne] = a; et[ne] = b; ec[ne] = 1 + int(rand() * 5); ne++
		}
		nb = 0
		tries = 0
		while (nb < k && tries < 100000) {
			tries++
			a = int(rand() * n); b = int(rand() * n)
			# backwards, and far: a late lock before an early one,
			# so that the cycles it closes are long
			if (a - b < n / 2) continue
			if ((a, b) in has) continue
			has[a, b] = 1; ef[ne] = a; et[ne] = b; ec[ne] = 1 + int(rand() * 5); ne++; nb++
		}
		printf "{\"event\":\"start\",\"version\":1,\"pid\":%d,\"ppid\":1,\"exe\":\"/x/app\",\"argv\":[\"app\"]}\n", 1000 + seed
		printf "{\"event\":\"graph\",\"pid\":%d,\"locks\":[", 1000 + seed
		for (i = 0; i < n; i++)
			printf "%s{\"id\":%d,\"address\":\"0x%x\",\"type\":\"mutex\",\"name\":\"%s\",\"identity\":\"%s\"}", i ? "," : "", i + 1, 4096 + 64 * i, name[i], name[i]
		printf "],\"edges\":["
		for (e = 0; e < ne; e++) {
			i = rev ? ne - 1 - e : e
			printf "%s{\"from\":%d,\"to\":%d,\"count\":%d,\"thread\":%d,\"stack\":[{\"pc\":\"0x%x\",\"module\":\"/x/app\",\"offset\":\"0x%x\",\"function\":\"f%d\"}],\"held_stack\":[{\"pc\":\"0x%x\",\"module\":\"/x/app\",\"offset\":\"0x%x\",\"function\":\"g%d\"}]}", e ? "," : "", ef[i] + 1, et[i] + 1, ec[i], 1 + i % 4, 8192 + i, 8192 + i, i, 12288 + i, 12288 + i, i
			print name[ef[i]], name[et[i]] > edges
		}
		printf "]}\n"
		printf "{\"event\":\"end\",\"pid\":%d,\"status\":0,\"findings\":0}\n", 1000 + seed
	}'
}

# check NAME SEED N M K: generate, run, verify. Prints one line on failure
# and returns 1.
above=0
check() {
	local name=$1 seed=$2 n=$3 m=$4 k=$5
	gen "$seed" "$n" "$m" "$k" >"$t/g.jsonl"
	cp "$t/edges" "$t/edges.all"
	"$LC" order -o "$t/o.order" "$t/g.jsonl" 2>"$t/err"
	local st=$?
	[ "$st" -eq 0 ] || { echo "FAIL $name: exit $st"; cat "$t/err"; return 1; }
	# The same graph, edges listed in reverse: the same file.
	gen "$seed" "$n" "$m" "$k" 1 >"$t/g2.jsonl"
	"$LC" order "$t/g2.jsonl" >"$t/o2.order" 2>/dev/null
	cmp -s <(grep -v order_file= "$t/o.order") <(grep -v order_file= "$t/o2.order") ||
		{ echo "FAIL $name: the output depends on the order of the edges"; diff "$t/o.order" "$t/o2.order" | head; return 1; }
	local r
	r=$(awk -v k="$k" -v n="$n" -v big=$((n > 16)) '
		FNR == NR { e++; ef[e] = $1; et[e] = $2; used[$1] = 1; used[$2] = 1; next }
		/^# against this order: / {
			split(substr($0, 23), w, " ")
			sub(/,$/, "", w[3])
			claim[w[1] SUBSEP w[3]] = 1; nclaim++
			next
		}
		/^#/ || /^$/ { next }
		{ if ($0 in pos) { print "listed twice: " $0; bad = 1 } pos[$0] = ++np }
		END {
			if (bad) exit 1
			for (x in used) if (!(x in pos)) { print "not listed: " x; exit 1 }
			if (np != length(used)) { print "listed " np " locks, " length(used) " have edges"; exit 1 }
			back = 0
			for (i = 1; i <= e; i++) {
				isback = pos[ef[i]] > pos[et[i]]
				back += isback
				c = (ef[i] SUBSEP et[i]) in claim
				if (isback && !c) { print "edge " ef[i] " -> " et[i] " goes backwards, not in a comment"; exit 1 }
				if (!isback && c) { print "edge " ef[i] " -> " et[i] " named against the order, but goes forwards"; exit 1 }
			}
			if (nclaim != back) { print nclaim " comments, " back " backward edges"; exit 1 }
			if (back > k && (!big || back > k + int(k / 2))) { print back " edges against the order, more than k=" k; exit 1 }
			print "ok " back
		}' "$t/edges.all" "$t/o.order")
	case $r in
	ok*) ;;
	*) echo "FAIL $name (seed $seed, n=$n, m=$m, k=$k): $r"; return 1 ;;
	esac
	local back=${r#ok }
	local listed
	listed=$(grep -c '^  .* -> ' "$t/err")
	[ "$listed" -eq "$back" ] || { echo "FAIL $name: stderr lists $listed edges, the file $back"; cat "$t/err"; return 1; }
	[ "$back" -gt "$k" ] && { above=$((above + 1)); echo "note: $name seed $seed: $back edges against the order, k=$k"; }
	return 0
}

fails=0
cases=0
# Exact search: whole graphs of up to 16 locks (so every component is).
for seed in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	n=$((4 + seed % 13))
	m=$((n + seed % 7 * n / 2))
	k=$((1 + seed % 4))
	cases=$((cases + 1))
	check exact "$seed" "$n" "$m" "$k" || fails=$((fails + 1))
done
# A DAG alone: nothing against the order.
cases=$((cases + 1))
check dag 99 12 30 0 || fails=$((fails + 1))
# Larger graphs: components above 16 locks take the greedy heuristic.
for seed in 31 32 33 34 35 36 37 38 39 40; do
	cases=$((cases + 1))
	check greedy "$seed" 40 $((80 + seed)) $((2 + seed % 5)) || fails=$((fails + 1))
done
# A long chain closed by one edge: one component of 300 locks, one edge out.
cases=$((cases + 1))
awk 'BEGIN {
	n = 300
	printf "{\"event\":\"graph\",\"pid\":7,\"locks\":["
	for (i = 0; i < n; i++) printf "%s{\"id\":%d,\"name\":\"c%03d\",\"identity\":\"c%03d\"}", i ? "," : "", i + 1, i, i
	printf "],\"edges\":["
	for (i = 0; i < n - 1; i++) printf "%s{\"from\":%d,\"to\":%d,\"count\":3}", i ? "," : "", i + 1, i + 2
	printf ",{\"from\":%d,\"to\":1,\"count\":1}]}\n", n
}' >"$t/chain.jsonl"
if "$LC" order "$t/chain.jsonl" >"$t/chain.order" 2>"$t/err" &&
   [ "$(grep -v '^#' "$t/chain.order" | grep -c .)" -eq 300 ] &&
   [ "$(grep -v '^#' "$t/chain.order" | head -n 1)" = c000 ] &&
   grep -q '^# against this order: c299 -> c000, 1 time' "$t/chain.order"; then
	:
else
	echo "FAIL chain: the 300-lock cycle is not cut at its one rare edge"
	head -n 12 "$t/chain.order"
	cat "$t/err"
	fails=$((fails + 1))
fi
[ "$above" -gt 0 ] && echo "note: the greedy heuristic went above k in $above case(s) (within k + k/2)"
if [ "$fails" -gt 0 ]; then
	echo "order_fas: $fails of $cases cases failed"
	exit 1
fi
echo "order_fas: $cases cases ok"
