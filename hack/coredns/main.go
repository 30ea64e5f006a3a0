// CoreDNS with only the plugins the real node's cluster DNS uses (hack/realnode.sh): names of Services and
// pods from the apiserver, nothing forwarded anywhere else. Building the full CoreDNS would compile every
// cloud provider's SDK for plugins we never load.
package main

import (
	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/ready"

	"github.com/coredns/coredns/coremain"
)

func main() {
	coremain.Run()
}
