#!/bin/sh
# Two CamRelay nodes and a ZooKeeper on this machine, to watch a failover (README "Running more than one node").
#
#   scripts/cluster-demo.sh            starts ZooKeeper (from camrelay.jar, port 2181) and nodes a and b, each a
#                                      `bin/camrelay --demo` with its own simulator, folder and status port
#                                      (a: http://127.0.0.1:8081, b: http://127.0.0.1:8082); both define stream
#                                      "demo", one streams it, the other shows it STANDBY with its owner.
#   kill -9 <pid of the owner>         (the script prints the pids) and watch the other page: the stream is
#                                      STREAMING there within about 10 s.
#   Ctrl-C                             stops everything.
#
#   CAMRELAY_DEMO_DIR   where the nodes' folders and ZooKeeper's data go (default: target/cluster-demo)
#   CAMRELAY_DEMO_ZOOKEEPER  host:port of a ZooKeeper to use instead of starting one
#
# The ZooKeeper server is the one inside camrelay.jar (the client library carries it); it needs Dropwizard
# metrics-core and snappy-java (ZooKeeper's "provided" dependencies), which the build downloaded into the local Maven
# repository for the tests (curator-test brings them; MAVEN_REPO, default ~/.m2/repository).
set -eu

home=$(cd "$(dirname "$0")/.." && pwd -P)
jar=${CAMRELAY_JAR:-$home/target/camrelay.jar}
if [ ! -f "$jar" ]; then
  echo "cluster-demo: $jar does not exist; build it with: mvn -B -q package -DskipTests (in $home)" >&2
  exit 1
fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
dir=${CAMRELAY_DEMO_DIR:-$home/target/cluster-demo}
mkdir -p "$dir/zookeeper" "$dir/a" "$dir/b"

pids=""
stop() {
  # only the processes this script started, by their ids
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

zookeeper=${CAMRELAY_DEMO_ZOOKEEPER:-}
if [ -z "$zookeeper" ]; then
  repo=${MAVEN_REPO:-$HOME/.m2/repository}
  extra=""
  for artifact in io.dropwizard.metrics:metrics-core:3.2.5 org.xerial.snappy:snappy-java:1.1.10.4; do
    group=$(echo "$artifact" | cut -d: -f1 | tr . /)
    name=$(echo "$artifact" | cut -d: -f2)
    version=$(echo "$artifact" | cut -d: -f3)
    file=$repo/$group/$name/$version/$name-$version.jar
    if [ ! -f "$file" ]; then
      echo "cluster-demo: $file (which ZooKeeper's server needs) is missing; fetch it with:" \
        "mvn dependency:get -Dartifact=$artifact, or set CAMRELAY_DEMO_ZOOKEEPER" >&2
      exit 1
    fi
    extra=$extra:$file
  done
  # no admin web server; the data in the demo folder
  "$java" -Xmx128m -Dzookeeper.admin.enableServer=false -cp "$jar$extra" \
    org.apache.zookeeper.server.ZooKeeperServerMain 2181 "$dir/zookeeper" >"$dir/zookeeper.log" 2>&1 &
  pids="$pids $!"
  zookeeper=127.0.0.1:2181
  echo "cluster-demo: ZooKeeper on $zookeeper (pid $!, log $dir/zookeeper.log)"
fi

for node in a b; do
  port=$([ "$node" = a ] && echo 8081 || echo 8082)
  (cd "$dir/$node" && CAMRELAY_JAR=$jar CAMRELAY_STATUS_HTTP=$port CAMRELAY_CLUSTER_TYPE=zookeeper \
    CAMRELAY_CLUSTER_ZOOKEEPER_CONNECT=$zookeeper CAMRELAY_CLUSTER_NODE_ID=node-$node \
    exec "$home/bin/camrelay" --demo >"$dir/$node/camrelay.log" 2>&1) &
  pids="$pids $!"
  echo "cluster-demo: node-$node (pid $!): http://127.0.0.1:$port/ (log $dir/$node/camrelay.log)"
done

echo "cluster-demo: kill -9 the owner's pid (see 'owner' on either page) to watch the other node take the stream"
wait
