# Sourced by bench/peers.sh and bench/fresh.sh: how they time a build.

# The median of the numbers on standard input, one a line.
med() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

# Seconds a command takes in a folder (its output thrown away); a failure
# is named on standard error, the time still printed.
secs() {
    local d=$1
    shift
    local s
    s=$(date +%s.%N)
    (cd "$d" && "$@" >/dev/null 2>&1) || echo "bench: '$*' failed in $d" >&2
    echo "$(date +%s.%N) - $s" | bc
}
