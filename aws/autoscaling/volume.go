package autoscaling

import (
	"fmt"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	cfnec2 "github.com/eksforge/eksforge/cfn/ec2"
	"github.com/eksforge/eksforge/internal/optarg"
)

// BlockDevice is a device attached to every instance the group launches.
type BlockDevice struct {
	// DeviceName is the device name exposed to the instance, e.g.
	// "/dev/xvda" (the root device of Amazon Linux) or "/dev/sdf".
	// Required.
	DeviceName string
	// Volume is what backs the device. Required: make it with
	// [BlockDeviceVolumeEbs], [BlockDeviceVolumeEbsFromSnapshot],
	// [BlockDeviceVolumeEphemeral] or [BlockDeviceVolumeNoDevice].
	Volume BlockDeviceVolume
}

// EbsDeviceOptions tune an EBS volume.
type EbsDeviceOptions struct {
	// VolumeType is the volume's type, e.g. ec2.EbsVolumeTypeGp3.
	// Default: EC2's (gp2, or the account's default type).
	VolumeType ec2.EbsVolumeType
	// Encrypted encrypts the volume.
	// Default: the account's EBS encryption-by-default setting.
	Encrypted *bool
	// KmsKeyArn is the KMS key that encrypts the volume (with Encrypted).
	// Default: the AWS managed key for EBS.
	KmsKeyArn string
	// DeleteOnTermination deletes the volume when its instance terminates.
	// Default: EC2's (true for volumes created at launch).
	DeleteOnTermination *bool
	// Iops is the provisioned IOPS; required for io1 and io2, allowed for
	// gp3.
	// Default: the type's baseline.
	Iops int
	// Throughput is the throughput in MiB/s, from 125 to 2000; gp3 only.
	// Default: 125 (gp3's baseline).
	Throughput int
}

// BlockDeviceVolume is what backs a [BlockDevice].
type BlockDeviceVolume struct {
	ebs         *cfnec2.CfnLaunchTemplateEbs
	opts        EbsDeviceOptions
	virtualName string
	noDevice    bool
	kind        string
}

// BlockDeviceVolumeEbs is a new EBS volume of sizeGiB GiB.
func BlockDeviceVolumeEbs(sizeGiB int, opts ...EbsDeviceOptions) BlockDeviceVolume {
	v := ebsVolume(opts)
	v.kind = "ebs"
	if sizeGiB != 0 {
		v.ebs.VolumeSize = cdk.Ptr(sizeGiB)
	}
	return v
}

// BlockDeviceVolumeEbsFromSnapshot is an EBS volume created from a
// snapshot; sizeGiB 0 takes the snapshot's size.
func BlockDeviceVolumeEbsFromSnapshot(snapshotID string, sizeGiB int, opts ...EbsDeviceOptions) BlockDeviceVolume {
	v := ebsVolume(opts)
	v.kind = "snapshot"
	v.ebs.SnapshotId = snapshotID
	if sizeGiB != 0 {
		v.ebs.VolumeSize = cdk.Ptr(sizeGiB)
	}
	return v
}

func ebsVolume(opts []EbsDeviceOptions) BlockDeviceVolume {
	o := optarg.One("autoscaling.BlockDeviceVolumeEbs", opts)
	e := &cfnec2.CfnLaunchTemplateEbs{
		VolumeType:          string(o.VolumeType),
		Encrypted:           o.Encrypted,
		KmsKeyId:            o.KmsKeyArn,
		DeleteOnTermination: o.DeleteOnTermination,
	}
	if o.Iops != 0 {
		e.Iops = cdk.Ptr(o.Iops)
	}
	if o.Throughput != 0 {
		e.Throughput = cdk.Ptr(o.Throughput)
	}
	return BlockDeviceVolume{ebs: e, opts: o}
}

// BlockDeviceVolumeEphemeral is the instance store volume with the given
// index (VirtualName "ephemeral<index>"). It panics on a negative index.
func BlockDeviceVolumeEphemeral(index int) BlockDeviceVolume {
	if index < 0 {
		panic(fmt.Sprintf("autoscaling: BlockDeviceVolumeEphemeral: the volume index is %d; it must be 0 or more", index))
	}
	return BlockDeviceVolume{virtualName: fmt.Sprintf("ephemeral%d", index), kind: "ephemeral"}
}

// BlockDeviceVolumeNoDevice suppresses a device that the AMI maps
// (NoDevice).
func BlockDeviceVolumeNoDevice() BlockDeviceVolume {
	return BlockDeviceVolume{noDevice: true, kind: "none"}
}

// renderBlockDevices checks the devices and renders them for the launch
// template (as plain values: NoDevice is the empty string, which the typed
// property omits); errors and warnings are returned, one message each.
func renderBlockDevices(devices []BlockDevice) ([]any, []string, []string) {
	var out []any
	var errs, warnings []string
	for i, d := range devices {
		where := fmt.Sprintf("BlockDevices[%d]", i)
		if d.DeviceName == "" {
			errs = append(errs, where+" has no DeviceName; set it, e.g. \"/dev/xvda\" for the root volume of Amazon Linux")
			continue
		}
		where += " (" + d.DeviceName + ")"
		m := map[string]any{"DeviceName": d.DeviceName}
		if d.Volume.virtualName != "" {
			m["VirtualName"] = d.Volume.virtualName
		}
		switch {
		case d.Volume.kind == "":
			errs = append(errs, where+" has no Volume; make one with BlockDeviceVolumeEbs, BlockDeviceVolumeEbsFromSnapshot, BlockDeviceVolumeEphemeral or BlockDeviceVolumeNoDevice")
			continue
		case d.Volume.noDevice:
			m["NoDevice"] = ""
			out = append(out, m)
			continue
		case d.Volume.ebs != nil:
			ebs := *d.Volume.ebs
			o := d.Volume.opts
			if ebs.VolumeSize != nil && *ebs.VolumeSize < 0 && !cdk.IsUnresolved(*ebs.VolumeSize) {
				errs = append(errs, fmt.Sprintf("%s: the volume size is %d GiB; it must be positive", where, *ebs.VolumeSize))
			}
			if d.Volume.kind == "ebs" && ebs.VolumeSize == nil {
				errs = append(errs, where+": BlockDeviceVolumeEbs needs a size in GiB (or use BlockDeviceVolumeEbsFromSnapshot)")
			}
			if d.Volume.kind == "snapshot" && ebs.SnapshotId == "" {
				errs = append(errs, where+": BlockDeviceVolumeEbsFromSnapshot needs a snapshot ID")
			}
			if o.Throughput != 0 {
				switch {
				case o.VolumeType != ec2.EbsVolumeTypeGp3:
					errs = append(errs, fmt.Sprintf("%s: Throughput needs VolumeType %s, got %q", where, ec2.EbsVolumeTypeGp3, o.VolumeType))
				case o.Throughput < 125 || o.Throughput > 2000:
					errs = append(errs, fmt.Sprintf("%s: Throughput must be between 125 and 2000 MiB/s, got %d", where, o.Throughput))
				case o.Iops != 0 && float64(o.Throughput)/float64(o.Iops) > 0.25:
					errs = append(errs, fmt.Sprintf("%s: the ratio of Throughput (MiB/s) to Iops is %g; at most 0.25 is allowed", where, float64(o.Throughput)/float64(o.Iops)))
				}
			}
			isIo := o.VolumeType == ec2.EbsVolumeTypeIo1 || o.VolumeType == ec2.EbsVolumeTypeIo2
			switch {
			case o.Iops == 0 && isIo:
				errs = append(errs, fmt.Sprintf("%s: VolumeType %s needs Iops", where, o.VolumeType))
			case o.Iops != 0 && !isIo && o.VolumeType != ec2.EbsVolumeTypeGp3:
				warnings = append(warnings, fmt.Sprintf("%s: Iops is ignored without VolumeType io1, io2 or gp3", where))
			}
			m["Ebs"] = ebs.CfnProperties()
		}
		out = append(out, m)
	}
	return out, errs, warnings
}
