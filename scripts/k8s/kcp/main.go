// kcp: one binary (hyperkube-style) holding a Kubernetes control plane for local testing:
// etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kubectl.
//
//	kcp etcd [etcd flags]
//	kcp kube-apiserver [flags]
//	kcp kube-controller-manager [flags]
//	kcp kube-scheduler [flags]
//	kcp kubectl [args]
//	kcp version
package main

import (
	"fmt"
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
	"k8s.io/component-base/cli"
	kubectlcmd "k8s.io/kubectl/pkg/cmd"
	"k8s.io/kubectl/pkg/cmd/util"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
	"k8s.io/component-base/version"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: kcp etcd|kube-apiserver|kube-controller-manager|kube-scheduler|kubectl|version [args...]")
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	sub := os.Args[1]
	// each component parses os.Args[1:] as its own flags
	os.Args = append([]string{sub}, os.Args[2:]...)
	switch sub {
	case "etcd":
		etcdmain.Main(os.Args)
	case "kube-apiserver":
		os.Exit(cli.Run(apiserver.NewAPIServerCommand()))
	case "kube-controller-manager":
		os.Exit(cli.Run(controllermanager.NewControllerManagerCommand()))
	case "kube-scheduler":
		os.Exit(cli.Run(scheduler.NewSchedulerCommand()))
	case "kubectl":
		cmd := kubectlcmd.NewDefaultKubectlCommand()
		if err := cli.RunNoErrOutput(cmd); err != nil {
			util.CheckErr(err)
		}
	case "version":
		fmt.Println(version.Get().String())
	default:
		usage()
	}
}
