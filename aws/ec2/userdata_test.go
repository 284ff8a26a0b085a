package ec2_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
)

func TestUserData(t *testing.T) {
	t.Parallel()
	ud := ec2.UserDataForLinux()
	ud.AddCommands("set -e", "echo hi")
	if got := ud.Render(); got != "#!/bin/bash\nset -e\necho hi" {
		t.Errorf("linux: %q", got)
	}
	sh := ec2.UserDataForLinux(ec2.LinuxUserDataOptions{Shebang: "#!/bin/sh"})
	sh.AddOnExitCommands("echo bye")
	sh.AddCommands("true")
	if got := sh.Render(); got != "#!/bin/sh\nfunction exitTrap(){\nexitCode=$?\necho bye\n}\ntrap exitTrap EXIT\ntrue" {
		t.Errorf("on exit: %q", got)
	}
	custom := ec2.UserDataCustom("[settings]\nmotd = \"hi\"")
	if custom.Render() != "[settings]\nmotd = \"hi\"" {
		t.Errorf("custom: %q", custom.Render())
	}
	mustPanic(t, func() { custom.AddCommands("x") }, "takes no commands")
	mustPanic(t, func() { ec2.NewMultipartUserData().AddCommands("x") }, "needs a default part")
	mustPanic(t, func() { ec2.NewMultipartUserData(ec2.MultipartUserDataOptions{PartsSeparator: "a b"}) }, `"a b"`)
}

func TestMultipartUserData(t *testing.T) {
	t.Parallel()
	_, s := agnosticStack()
	script := ec2.UserDataForLinux()
	mp := ec2.NewMultipartUserData(ec2.MultipartUserDataOptions{PartsSeparator: "//"})
	mp.AddUserDataPart(script, "", false)
	mp.AddPart(ec2.MultipartBodyFromRawBody(ec2.MultipartBodyOptions{ContentType: "application/node.eks.aws", TransferEncoding: "7bit", Body: "apiVersion: node.eks.aws/v1alpha1"}))
	mp.AddCommands("echo default part") // goes to the script
	cdk.NewCfnOutput(s, "UserData", cdk.CfnOutputProps{Value: mp.Render()})
	assertions.FromStack(t, s).HasOutput("UserData", map[string]any{"Value": map[string]any{"Fn::Join": []any{"", []any{
		"Content-Type: multipart/mixed; boundary=\"//\"\nMIME-Version: 1.0\n\n--//\nContent-Type: text/x-shellscript; charset=\"utf-8\"\nContent-Transfer-Encoding: base64\n\n",
		map[string]any{"Fn::Base64": "#!/bin/bash\necho default part"},
		"\n--//\nContent-Type: application/node.eks.aws\nContent-Transfer-Encoding: 7bit\n\napiVersion: node.eks.aws/v1alpha1\n--//--\n",
	}}}})
}
