// Command etcd is etcd's own server entry point, built from the module at
// the version that kube-apiserver of the pinned release was tested with.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
