// Command typed-manifests synthesizes manifests written with the
// k8s.io/api types: apiVersion and kind are filled in from client-go's
// scheme, and tokens (the cluster's name) may be used in values.
//
//	go run ./examples/typed-manifests
//
// The cloud assembly goes to $CDK_OUTDIR, or cdk.out.
package main

import (
	"fmt"
	"os"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

func main() {
	app := cdk.NewApp(cdk.AppProps{})
	build(app)
	asm, err := app.Synth()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, s := range asm.Stacks {
		fmt.Printf("%s: %s/%s\n", s.StackName, asm.Directory, s.TemplateFile)
	}
}

// build adds the example's stack to app.
func build(app *cdk.App) {
	stack := cdk.NewStack(app, "TypedManifests", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34})

	labels := map[string]string{"app": "hello-kubernetes"}
	replicas := int32(3)
	cluster.AddManifest("hello",
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "hello"}},
		&corev1.ConfigMap{
			ObjectMeta: metav1.ObjectMeta{Name: "cluster-info", Namespace: "hello"},
			Data:       map[string]string{"clusterName": cluster.ClusterName()},
		},
		&appsv1.Deployment{
			ObjectMeta: metav1.ObjectMeta{Name: "hello-kubernetes", Namespace: "hello"},
			Spec: appsv1.DeploymentSpec{
				Replicas: &replicas,
				Selector: &metav1.LabelSelector{MatchLabels: labels},
				Template: corev1.PodTemplateSpec{
					ObjectMeta: metav1.ObjectMeta{Labels: labels},
					Spec: corev1.PodSpec{Containers: []corev1.Container{{
						Name:  "hello-kubernetes",
						Image: "paulbouwer/hello-kubernetes:1.5",
						Ports: []corev1.ContainerPort{{ContainerPort: 8080}},
					}}},
				},
			},
		},
		&corev1.Service{
			ObjectMeta: metav1.ObjectMeta{Name: "hello-kubernetes", Namespace: "hello"},
			Spec: corev1.ServiceSpec{
				Type:     corev1.ServiceTypeLoadBalancer,
				Selector: labels,
				Ports:    []corev1.ServicePort{{Port: 80, TargetPort: intstr.FromInt32(8080)}},
			},
		},
	)
}
