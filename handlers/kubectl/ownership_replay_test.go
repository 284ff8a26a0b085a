//go:build !nohelm

package kubectl_test

import (
	"context"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/internal/testenv/kubeenv"
)

// releaseRevisions is how many revisions Helm stores for a release.
func releaseRevisions(t *testing.T, env *kubeenv.Env, ns, name string) int {
	t.Helper()
	l, err := clientset(t, env).CoreV1().Secrets(ns).List(context.Background(), metav1.ListOptions{LabelSelector: "owner=helm,name=" + name})
	if err != nil {
		t.Fatal(err)
	}
	return len(l.Items)
}

// TestOwnershipLateReplayHelm replays a chart's Update after the rollback
// Update ran, and its Delete after the chart was added back: neither may
// upgrade the release back to old values nor uninstall it.
func TestOwnershipLateReplayHelm(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	url, _ := chartRepo(t, demoChart("0.1.0", false))
	chartProps := func(v string) map[string]any {
		return map[string]any{"Release": "replayed", "Chart": "demo", "Repository": url, "Namespace": ns, "Values": `{"v":"` + v + `"}`}
	}
	c := newResource(t, h, testStack, "Chart", kubectl.TypeHelmChart)
	c.create(chartProps("a"))
	uid := uidOf(t, env, ns, "replayed-cm")
	u1 := c.event(cfnresponse.Update, chartProps("b"))
	if _, err := h.OnEvent(context.Background(), u1); err != nil { // its answer was lost to the guard
		t.Fatal(err)
	}
	c.props = u1.ResourceProperties
	c.update(chartProps("a")) // the rollback
	revs := releaseRevisions(t, env, ns, "replayed")
	if r, err := h.OnEvent(context.Background(), u1); err != nil || r.PhysicalResourceId != c.id {
		t.Fatalf("late replay answered %+v, %v; want ID %s", r, err, c.id)
	}
	checkCM(t, env, ns, "replayed-cm", cmState{uid: uid, data: map[string]any{"v": "a", "chart": "0.1.0"}})
	if got := releaseRevisions(t, env, ns, "replayed"); got != revs {
		t.Errorf("the late replay made a revision: %d revisions, want %d", got, revs)
	}

	d := c.event(cfnresponse.Delete, nil)
	mustRun(t, h, d)
	if get(t, env, cmGVR, ns, "replayed-cm") != nil {
		t.Fatal("the Delete did not uninstall the release")
	}
	c.create(chartProps("c")) // added back in a later deployment
	uid = uidOf(t, env, ns, "replayed-cm")
	if _, err := h.OnEvent(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	checkCM(t, env, ns, "replayed-cm", cmState{uid: uid, data: map[string]any{"v": "c", "chart": "0.1.0"}})
}

// TestOwnershipLateReplayPatch replays a patch's Update after the rollback
// Update ran: it must not apply the rolled-back patch again.
func TestOwnershipLateReplayPatch(t *testing.T) {
	t.Parallel()
	h, env := newHandler(t)
	ns := namespace(t, env)
	patchTarget(t, env, ns)
	uid := uidOf(t, env, ns, "target")
	patchProps := func(v string) map[string]any {
		return map[string]any{"ResourceName": "configmap/target", "ResourceNamespace": ns,
			"ApplyPatchJson": `{"data":{"k":"` + v + `"}}`, "RestorePatchJson": `{"data":{"k":"orig"}}`}
	}
	p := newResource(t, h, testStack, "Patch", kubectl.TypePatch)
	p.create(patchProps("p1"))
	u1 := p.event(cfnresponse.Update, patchProps("p2"))
	if _, err := h.OnEvent(context.Background(), u1); err != nil {
		t.Fatal(err)
	}
	checkCM(t, env, ns, "target", cmState{uid: uid, data: map[string]any{"k": "p2"}})
	p.props = u1.ResourceProperties
	p.update(patchProps("p1")) // the rollback
	if r, err := h.OnEvent(context.Background(), u1); err != nil || r.PhysicalResourceId != p.id {
		t.Fatalf("late replay answered %+v, %v; want ID %s", r, err, p.id)
	}
	checkCM(t, env, ns, "target", cmState{uid: uid, data: map[string]any{"k": "p1"}})
	p.remove()
	checkCM(t, env, ns, "target", cmState{uid: uid, data: map[string]any{"k": "orig"}})
}

// TestOwnershipAwsAuthReplays runs an AwsAuth resource's events through
// the handler against an aws-auth ConfigMap whose entries others wrote,
// one of them identical to the resource's: every delivery twice, a late
// replay of an Update after the rollback, and of the Create after the
// Delete. The others' text stays byte for byte. Not parallel: aws-auth is
// one object of the shared API server.
func TestOwnershipAwsAuthReplays(t *testing.T) {
	h, env := newHandler(t)
	cs := clientset(t, env)
	ctx := context.Background()
	_, _ = cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "kube-system"}}, metav1.CreateOptions{})
	_ = cs.CoreV1().ConfigMaps("kube-system").Delete(ctx, "aws-auth", metav1.DeleteOptions{})
	theirs := "# written by hand\n- rolearn: arn:aws:iam::123456789012:role/a   # theirs, same as ours\n  username: a\n  groups: [system:masters]\n" +
		"- rolearn: arn:aws:iam::123456789012:role/nodes\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n  - system:bootstrappers\n  - system:nodes\n"
	theirAccounts := "- '111111111111'   # quoted their way\n"
	if _, err := cs.CoreV1().ConfigMaps("kube-system").Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "aws-auth", Namespace: "kube-system"},
		Data: map[string]string{"mapRoles": theirs, "mapAccounts": theirAccounts}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	read := func() map[string]string {
		t.Helper()
		cm, err := cs.CoreV1().ConfigMaps("kube-system").Get(ctx, "aws-auth", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return cm.Data
	}
	role := func(n string) map[string]any {
		return map[string]any{"rolearn": "arn:aws:iam::123456789012:role/" + n, "username": n, "groups": []any{"system:masters"}}
	}
	ours := func(n string) string {
		return "- groups:\n    - system:masters\n  rolearn: arn:aws:iam::123456789012:role/" + n + "\n  username: " + n + "\n"
	}
	props := func(n string) map[string]any {
		return map[string]any{"MapRoles": []any{role(n)}, "MapAccounts": []any{"111111111111"}}
	}
	want := func(step string, roles, accounts string) {
		t.Helper()
		d := read()
		if d["mapRoles"] != roles {
			t.Errorf("%s: mapRoles\n%q\nwant\n%q", step, d["mapRoles"], roles)
		}
		if d["mapAccounts"] != accounts {
			t.Errorf("%s: mapAccounts %q, want %q", step, d["mapAccounts"], accounts)
		}
	}
	a := newResource(t, h, testStack, "AwsAuth", kubectl.TypeAwsAuth)
	c := a.event(cfnresponse.Create, props("a"))
	a.create(props("a")) // delivered twice: the replay meets an identical entry of theirs and one of ours
	want("Create", theirs+ours("a"), theirAccounts+"- \"111111111111\"\n")

	u1 := a.event(cfnresponse.Update, props("b"))
	if _, err := h.OnEvent(ctx, u1); err != nil {
		t.Fatal(err)
	}
	want("Update", theirs+ours("b"), theirAccounts+"- \"111111111111\"\n")
	a.props = u1.ResourceProperties
	// The rollback, then Lambda's retry of the Update, late.
	a.update(props("a"))
	if _, err := h.OnEvent(ctx, u1); err != nil {
		t.Fatal(err)
	}
	want("late Update replay", theirs+ours("a"), theirAccounts+"- \"111111111111\"\n")

	a.remove()
	want("Delete", theirs, theirAccounts)
	if _, err := h.OnEvent(ctx, c); err != nil { // the Create, replayed after the Delete
		t.Fatal(err)
	}
	want("late Create replay", theirs, theirAccounts)
	if strings.Contains(read()["mapRoles"], "role/b") {
		t.Error("a rolled-back entry is in aws-auth")
	}
}
