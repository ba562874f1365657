# Sourced by scripts/pg.sh, the shell tests and the benchmarks.
# free_port: prints a port on 127.0.0.1 that nothing listens on now. Bash can
# only connect, not bind, so a refused connection is the test; the caller
# should use the port at once.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free port found on 127.0.0.1 after 200 tries" >&2
  return 1
}
