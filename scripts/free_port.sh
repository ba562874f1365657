# Sourced by scripts/pg.sh, the shell tests and the benchmarks.
# free_port: prints a port on 127.0.0.1 that nothing listens on now. Bash can
# only connect, not bind, so a refused connection is the test; the caller
# should use the port at once. The port is below the kernel's ephemeral range,
# which every outgoing connection's local port comes from: a port picked in it
# can be taken by some client's connection before the server binds it.
free_port() {
  local port ephemeral_low=32768
  read -r ephemeral_low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  ((ephemeral_low > 11000)) || ephemeral_low=32768
  for _ in $(seq 1 200); do
    port=$((10000 + RANDOM % (ephemeral_low - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free port found on 127.0.0.1 after 200 tries" >&2
  return 1
}
