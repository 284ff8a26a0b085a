package awsauth

import (
	"context"
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"
)

// Namespace and Name locate the ConfigMap.
const (
	Namespace = "kube-system"
	Name      = "aws-auth"
)

// Apply makes the entries of owner in kube-system/aws-auth equal next
// (nil next: none), creating the ConfigMap when absent. It reads, merges
// and writes with the read resourceVersion, again on a conflict.
func Apply(ctx context.Context, cs kubernetes.Interface, owner string, next *Entries) error {
	key := AnnotationKey(owner)
	return retry.OnError(retry.DefaultBackoff, func(err error) bool {
		return apierrors.IsConflict(err) || apierrors.IsAlreadyExists(err)
	}, func() error {
		cm, err := cs.CoreV1().ConfigMaps(Namespace).Get(ctx, Name, metav1.GetOptions{})
		create := apierrors.IsNotFound(err)
		if err != nil && !create {
			return fmt.Errorf("unable to read ConfigMap %s/%s: %w", Namespace, Name, err)
		}
		if create {
			if next == nil {
				return nil
			}
			cm = &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: Namespace, Name: Name}}
		}
		var prev Entries
		if s := cm.Annotations[key]; s != "" {
			if err := json.Unmarshal([]byte(s), &prev); err != nil {
				return fmt.Errorf("annotation %s of ConfigMap %s/%s is not valid: %w", key, Namespace, Name, err)
			}
		}
		want := Entries{}
		if next != nil {
			want = *next
		}
		data, err := Merge(cm.Data, prev, want)
		if err != nil {
			return err
		}
		cm.Data = data
		if cm.Annotations == nil {
			cm.Annotations = map[string]string{}
		}
		if next == nil {
			delete(cm.Annotations, key)
		} else {
			b, err := json.Marshal(want)
			if err != nil {
				return err
			}
			cm.Annotations[key] = string(b)
		}
		opts := metav1.CreateOptions{FieldManager: "eksforge"}
		if create {
			_, err = cs.CoreV1().ConfigMaps(Namespace).Create(ctx, cm, opts)
		} else {
			_, err = cs.CoreV1().ConfigMaps(Namespace).Update(ctx, cm, metav1.UpdateOptions{FieldManager: "eksforge"})
		}
		if err != nil && !apierrors.IsConflict(err) && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("unable to write ConfigMap %s/%s: %w", Namespace, Name, err)
		}
		return err
	})
}
