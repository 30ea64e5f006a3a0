// kstatus prints how Flux, Helm 4 --wait and other kstatus readers judge a live object: it reads the
// object as JSON on stdin and prints "<Status> <message>" (Status: InProgress, Current, Failed, ...).
package main

import (
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

func main() {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "read stdin:", err)
		os.Exit(2)
	}
	obj := &unstructured.Unstructured{}
	if err := obj.UnmarshalJSON(data); err != nil {
		fmt.Fprintln(os.Stderr, "not a Kubernetes object:", err)
		os.Exit(2)
	}
	result, err := status.Compute(obj)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kstatus:", err)
		os.Exit(2)
	}
	fmt.Printf("%s %s\n", result.Status, result.Message)
}
