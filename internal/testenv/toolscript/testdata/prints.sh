# prints.sh prints progress, then its arguments as the last line.
echo "progress: working" >&2
echo "a first line"
echo "  $*  "
