package ec2

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/optarg"
)

// UserData is what an instance runs when it starts. Render returns it as a
// string that may hold tokens; a launch template encodes it with
// Fn::Base64.
type UserData interface {
	// AddCommands appends commands.
	AddCommands(commands ...string)
	// Render returns the user data.
	Render() string
}

// LinuxUserDataOptions tune [UserDataForLinux].
type LinuxUserDataOptions struct {
	// Shebang is the first line.
	// Default: "#!/bin/bash".
	Shebang string
}

// LinuxUserData is a shell script.
type LinuxUserData struct {
	shebang string
	lines   []string
	onExit  []string
}

// UserDataForLinux returns an empty shell script.
func UserDataForLinux(opts ...LinuxUserDataOptions) *LinuxUserData {
	u := &LinuxUserData{shebang: "#!/bin/bash"}
	if o := optarg.One("ec2.UserDataForLinux", opts); o.Shebang != "" {
		u.shebang = o.Shebang
	}
	return u
}

// AddCommands appends commands, one per line.
func (u *LinuxUserData) AddCommands(commands ...string) { u.lines = append(u.lines, commands...) }

// AddOnExitCommands adds commands that run when the script exits (in an
// EXIT trap, with the exit code in $exitCode).
func (u *LinuxUserData) AddOnExitCommands(commands ...string) {
	u.onExit = append(u.onExit, commands...)
}

// Render returns the script: the shebang, the exit trap if any, and the
// commands, joined by newlines, as the AWS CDK renders it.
func (u *LinuxUserData) Render() string {
	parts := []string{u.shebang}
	if len(u.onExit) > 0 {
		parts = append(parts, "function exitTrap(){", "exitCode=$?")
		parts = append(parts, u.onExit...)
		parts = append(parts, "}", "trap exitTrap EXIT")
	}
	return strings.Join(append(parts, u.lines...), "\n")
}

type customUserData struct{ content string }

// UserDataCustom returns user data with the given content, rendered as is
// (a cloud-config document, a TOML settings file for Bottlerocket, …). It
// takes no commands: AddCommands panics.
func UserDataCustom(content string) UserData { return &customUserData{content: content} }

func (u *customUserData) AddCommands(...string) {
	panic("ec2: custom user data takes no commands; use UserDataForLinux for a script")
}

func (u *customUserData) Render() string { return u.content }

// Content types of multipart user data parts.
const (
	MultipartContentTypeShellScript   = `text/x-shellscript; charset="utf-8"`
	MultipartContentTypeCloudBoothook = `text/cloud-boothook; charset="utf-8"`
)

// MultipartBody is one part of [MultipartUserData].
type MultipartBody interface {
	renderBodyPart() []string
}

// MultipartBodyOptions describe a raw part.
type MultipartBodyOptions struct {
	// ContentType is the part's Content-Type. Required.
	ContentType string
	// TransferEncoding is the part's Content-Transfer-Encoding.
	// Default: none.
	TransferEncoding string
	// Body is the part's content.
	// Default: empty.
	Body string
}

type rawBody struct{ o MultipartBodyOptions }

// MultipartBodyFromRawBody returns a part with the given content.
func MultipartBodyFromRawBody(opts MultipartBodyOptions) MultipartBody { return rawBody{opts} }

func (b rawBody) renderBodyPart() []string {
	out := []string{"Content-Type: " + b.o.ContentType}
	if b.o.TransferEncoding != "" {
		out = append(out, "Content-Transfer-Encoding: "+b.o.TransferEncoding)
	}
	out = append(out, "")
	if b.o.Body != "" {
		out = append(out, b.o.Body)
	}
	return out
}

type userDataBody struct {
	ud          UserData
	contentType string
}

// MultipartBodyFromUserData returns a part holding other user data,
// base64-encoded (Fn::Base64 at deploy time). contentType defaults to
// MultipartContentTypeShellScript.
func MultipartBodyFromUserData(ud UserData, contentType string) MultipartBody {
	if contentType == "" {
		contentType = MultipartContentTypeShellScript
	}
	return userDataBody{ud, contentType}
}

func (b userDataBody) renderBodyPart() []string {
	return []string{"Content-Type: " + b.contentType, "Content-Transfer-Encoding: base64", "", cdk.Fn.Base64(b.ud.Render())}
}

// MultipartUserDataOptions tune [NewMultipartUserData].
type MultipartUserDataOptions struct {
	// PartsSeparator is the MIME boundary.
	// Default: "+AWS+CDK+User+Data+Separator==".
	PartsSeparator string
}

// MultipartUserData is a MIME multipart document of several parts, as
// cloud-init and nodeadm read it.
type MultipartUserData struct {
	boundary string
	parts    []MultipartBody
	def      UserData
}

var boundaryForbidden = regexp.MustCompile(`[^a-zA-Z0-9()+,\-./:=?]`)

// NewMultipartUserData returns an empty multipart document. A separator
// with characters MIME does not allow panics.
func NewMultipartUserData(opts ...MultipartUserDataOptions) *MultipartUserData {
	m := &MultipartUserData{boundary: "+AWS+CDK+User+Data+Separator=="}
	if o := optarg.One("ec2.NewMultipartUserData", opts); o.PartsSeparator != "" {
		if boundaryForbidden.MatchString(o.PartsSeparator) {
			panic(fmt.Sprintf("ec2: MultipartUserData: the separator %q has characters MIME boundaries cannot hold; use letters, digits and ()+,-./:=?", o.PartsSeparator))
		}
		m.boundary = o.PartsSeparator
	}
	return m
}

// AddPart appends a part.
func (m *MultipartUserData) AddPart(part MultipartBody) { m.parts = append(m.parts, part) }

// AddUserDataPart appends user data as a part. With makeDefault (or when
// it is the first such part), AddCommands adds to it.
func (m *MultipartUserData) AddUserDataPart(ud UserData, contentType string, makeDefault bool) {
	m.AddPart(MultipartBodyFromUserData(ud, contentType))
	if makeDefault || m.def == nil {
		m.def = ud
	}
}

// AddCommands adds commands to the default part; it panics when there is
// none.
func (m *MultipartUserData) AddCommands(commands ...string) {
	if m.def == nil {
		panic("ec2: MultipartUserData.AddCommands needs a default part; call AddUserDataPart first")
	}
	m.def.AddCommands(commands...)
}

// Render returns the MIME document, as the AWS CDK renders it.
func (m *MultipartUserData) Render() string {
	lines := []string{fmt.Sprintf("Content-Type: multipart/mixed; boundary=%q", m.boundary), "MIME-Version: 1.0", ""}
	for _, p := range m.parts {
		lines = append(lines, "--"+m.boundary)
		lines = append(lines, p.renderBodyPart()...)
	}
	lines = append(lines, "--"+m.boundary+"--", "")
	return strings.Join(lines, "\n")
}
