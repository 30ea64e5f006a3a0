//go:build tools

// Package tools pins Prometheus for hack/cluster.sh, which builds its cmd/prometheus with only the Kubernetes
// service discovery (tags remove_all_sd,enable_kubernetes_sd): Debian's prometheus package is built without
// Kubernetes discovery, and the tests and `make run` scrape the real node's pods the way users do.
package tools

import _ "github.com/prometheus/prometheus/cmd/prometheus"
