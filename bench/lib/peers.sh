# shellcheck shell=bash
# The paths ("peers") the bench compares, and the nginx backend they all forward to.
# Sourced by bench/run. To add a peer: add its id to ALL_PEERS, a label in lib/report.py, and a
# case in peer_command (plus peer_tools if it needs a binary).

ALL_PEERS="direct ambassadord ambassadord-metrics ambassadord-buffer ambassadord-nio ambassadord-coh ambassadord-srv ambassadord-noplugins ambassadord-jdk17 haproxy haproxy-splice nginx-stream socat"
# Not in ALL_PEERS: ambassadord-base, another build's launcher (AMBASSADORD_BASE), which
# BENCH_PEERS names when a change is to be compared with the build before it; and
# ambassadord-even / ambassadord-weighted, the same image following a consul-service:// spec of
# a bench Consul whose two instances (127.0.0.1 and 127.0.0.2, one nginx) weigh 1:1 and 1:3:
# what weighing costs a connection, on against off (HTTP tests only; they need Consul).
CONSUL_PEERS="ambassadord-even ambassadord-weighted"
# Peers measured for start -> listening only: other specs, other plugin folders and the JDK 17
# build of the same commit, each beside the shipped image's start.
START_ONLY_PEERS="ambassadord-srv ambassadord-noplugins ambassadord-jdk17"

# Debian package and command each peer needs, as "command:package" words.
peer_tools() {
  case $1 in
    haproxy|haproxy-splice) echo "haproxy:haproxy" ;;
    nginx-stream) echo "nginx:nginx" ;;
    socat) echo "socat:socat" ;;
  esac
}

# The nginx stream module is a separate Debian package (libnginx-mod-stream) unless built in.
NGINX_STREAM_MODULE=/usr/lib/nginx/modules/ngx_stream_module.so
nginx_stream_load_line() {
  if [[ $(nginx -V 2>&1) == *"--with-stream "* ]]; then
    echo ""
  else
    echo "load_module $NGINX_STREAM_MODULE;"
  fi
}

# peer_command PEER LISTEN_PORT BACKEND_PORT DIR MAXCONN
# Sets the global array CMD to a foreground command line for PEER that listens on 127.0.0.1
# LISTEN_PORT and relays every connection to 127.0.0.1 BACKEND_PORT. Config files go to DIR.
# MAXCONN is how many concurrent relayed connections the peer must accept (the idle test needs
# thousands; the fd limit is shared by both sides of each connection).
peer_command() {
  local peer=$1 listen=$2 backend=$3 dir=$4 maxconn=$5
  mkdir -p "$dir"
  case $peer in
    ambassadord)
      # shellcheck disable=SC2206 # AMBASSADORD_ARGS is a word list on purpose
      CMD=("$AMBASSADORD" $AMBASSADORD_ARGS --port "$listen" "127.0.0.1:$backend") ;;
    ambassadord-metrics)
      # The admin endpoint on, and scraped every second as Prometheus would, to show what
      # serving metrics costs the relay (the loops count either way).
      free_port
      # shellcheck disable=SC2206,SC2016
      CMD=(bash -c 'admin=$1; shift; "$@" & child=$!; trap "kill \$child" TERM INT
        while kill -0 $child 2>/dev/null; do
          python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1).read()" \
            "http://127.0.0.1:$admin/metrics" 2>/dev/null || true
          sleep 1
        done' scraper "$FREE_PORT" "$AMBASSADORD" $AMBASSADORD_ARGS --admin "127.0.0.1:$FREE_PORT" \
        --port "$listen" "127.0.0.1:$backend") ;;
    ambassadord-buffer)
      # shellcheck disable=SC2206
      CMD=("$AMBASSADORD" $AMBASSADORD_ARGS $AMBASSADORD_BUFFER_ARGS --port "$listen" "127.0.0.1:$backend") ;;
    ambassadord-nio)
      # shellcheck disable=SC2206
      CMD=("$AMBASSADORD" $AMBASSADORD_ARGS $AMBASSADORD_NIO_ARGS --port "$listen" "127.0.0.1:$backend") ;;
    ambassadord-coh)
      # Compact object headers (JEP 519): the shipped cache was trained without them, so the
      # JVM starts without it; throughput and idle memory are what this peer is for.
      # shellcheck disable=SC2206
      CMD=(env "JAVA_OPTS=-XX:+UseCompactObjectHeaders ${JAVA_OPTS:-}" "$AMBASSADORD" $AMBASSADORD_ARGS
        --port "$listen" "127.0.0.1:$backend") ;;
    ambassadord-srv)
      # A plugin scheme: the srv layer is defined at start (its DNS server need not answer).
      # shellcheck disable=SC2206
      CMD=("$AMBASSADORD" $AMBASSADORD_ARGS --port "$listen" "srv://_bench._tcp.bench.test?dns=127.0.0.1:$backend") ;;
    ambassadord-noplugins)
      mkdir -p "$dir/no-plugins"
      # shellcheck disable=SC2206
      CMD=("$AMBASSADORD" $AMBASSADORD_ARGS --plugins "$dir/no-plugins" --port "$listen" "127.0.0.1:$backend") ;;
    ambassadord-base)
      # Another build of ambassadord (AMBASSADORD_BASE), say the commit before a change, run
      # exactly as the image under test: before and after in one run.
      # shellcheck disable=SC2206
      CMD=("$AMBASSADORD_BASE" $AMBASSADORD_ARGS --port "$listen" "127.0.0.1:$backend") ;;
    ambassadord-even|ambassadord-weighted)
      # A service of its own per start, registered before the relay asks for it.
      local weight=1
      [[ $peer == ambassadord-weighted ]] && weight=3
      python3 "$LIB/discovery.py" --register "$CONSUL_HTTP" "bench-$listen" "$backend" 1 "$weight" ||
        die "could not register the bench service in Consul"
      # shellcheck disable=SC2206
      CMD=("$AMBASSADORD" $AMBASSADORD_ARGS --port "$listen" "consul-service://127.0.0.1:$CONSUL_HTTP/bench-$listen") ;;
    ambassadord-jdk17)
      # shellcheck disable=SC2206
      CMD=("$AMBASSADORD_JDK17" $AMBASSADORD_ARGS --port "$listen" "127.0.0.1:$backend") ;;
    haproxy)
      haproxy_config "$dir/haproxy.cfg" "$listen" "$backend" "$maxconn" no
      CMD=(haproxy -db -f "$dir/haproxy.cfg") ;;
    haproxy-splice)
      haproxy_config "$dir/haproxy.cfg" "$listen" "$backend" "$maxconn" yes
      CMD=(haproxy -db -f "$dir/haproxy.cfg") ;;
    nginx-stream)
      nginx_stream_config "$dir" "$listen" "$backend"
      CMD=(nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf") ;;
    socat)
      # One process per connection (fork): that is how socat relays, and part of its cost.
      CMD=(socat "TCP4-LISTEN:$listen,bind=127.0.0.1,reuseaddr,fork,backlog=4096,nodelay"
        "TCP4:127.0.0.1:$backend,nodelay") ;;
    *)
      echo "unknown peer [$peer]; known [$ALL_PEERS]" >&2
      return 2 ;;
  esac
}

# haproxy_config FILE LISTEN BACKEND MAXCONN SPLICE(yes|no)
# tcp mode, 2 threads (the Debian default build, made explicit). HAProxy refuses to start when
# its computed fd need (2 per connection plus 2 per pipe; maxpipes defaults to maxconn/4)
# exceeds the hard limit, so pipes are capped to what the limit leaves.
haproxy_config() {
  local file=$1 listen=$2 backend=$3 maxconn=$4 splice=$5
  local maxpipes=$(( maxconn / 4 ))
  local room=$(( (FD_LIMIT - 2 * maxconn - 300) / 2 ))
  (( room < maxpipes )) && maxpipes=$room
  (( maxpipes < 16 )) && maxpipes=16
  {
    echo "global"
    echo "    nbthread 2"
    echo "    maxconn $maxconn"
    echo "    maxpipes $maxpipes"
    echo "defaults"
    echo "    mode tcp"
    echo "    maxconn $maxconn"
    echo "    timeout connect 5s"
    echo "    timeout client 1h"
    echo "    timeout server 1h"
    if [[ $splice == yes ]]; then
      # Forced kernel splicing both ways, as in the figures quoted by issue 6.
      echo "    option splice-auto"
      echo "    option splice-request"
      echo "    option splice-response"
    fi
    echo "frontend bench"
    echo "    bind 127.0.0.1:$listen"
    echo "    default_backend upstream"
    echo "backend upstream"
    echo "    server s1 127.0.0.1:$backend"
  } >"$file"
}

# nginx_stream_config DIR LISTEN BACKEND — nginx as a plain TCP relay, 2 workers.
nginx_stream_config() {
  local dir=$1 listen=$2 backend=$3
  cat >"$dir/nginx.conf" <<EOF
$(nginx_stream_load_line)
worker_processes 2;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
worker_rlimit_nofile $(( FD_LIMIT - 100 ));
events { worker_connections $(( FD_LIMIT - 200 )); }
stream {
    server {
        listen 127.0.0.1:$listen backlog=4096;
        proxy_pass 127.0.0.1:$backend;
        proxy_timeout 1h;
    }
}
EOF
}

# nginx_backend_config DIR PORT WORKERS BODY_BYTES — the HTTP server behind every path:
# one small static file, keep-alive effectively unlimited so wrk's keep-alive run never
# reconnects (nginx's default keepalive_requests is 1000).
nginx_backend_config() {
  local dir=$1 port=$2 workers=$3 body=$4
  mkdir -p "$dir/www" "$dir/tmp"
  head -c "$body" /dev/zero | tr '\0' 'x' >"$dir/www/hello.txt"
  # Workers run as nobody when the master is root: they must be able to read the files.
  chmod 755 "$dir" "$dir/www" && chmod 644 "$dir/www/hello.txt"
  cat >"$dir/nginx.conf" <<EOF
worker_processes $workers;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
worker_rlimit_nofile $(( FD_LIMIT - 100 ));
events { worker_connections 10000; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    sendfile on;
    tcp_nodelay on;
    keepalive_timeout 300s;
    keepalive_requests 1000000000;
    open_file_cache max=16;
    default_type text/plain;
    server {
        listen 127.0.0.1:$port backlog=4096;
        # The second instance of the consul-service peers' service.
        listen 127.0.0.2:$port backlog=4096;
        root $dir/www;
    }
}
EOF
}
