# fails.sh exits with the status given as its first argument.
for i in $(seq 1 50); do echo "stderr line $i" >&2; done
exit "$1"
