"""Starts moto's server (`python -m moto.server ARGS`) after closing the gaps
of moto's CloudFormation that eksforge's tests meet. Written against moto
5.2.1; each patch checks that the gap is still there, so a moto that closes
one leaves it alone. The gaps, and what each patch does, are listed in
docs/cli.md ("Testing against moto"). This file is embedded in the Go
package internal/testenv/motoserver and written next to the server's log.
"""

import sys

import moto
from moto.cloudformation import models as cfn_models
from moto.cloudformation import parsing as cfn_parsing
from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.common_models import CloudFormationModel
from moto.core.responses import ActionResult

Backend = cfn_models.CloudFormationBackend

applied = []


# Gap 1 (moto 5.2.1): ExecuteChangeSet leaves the stack's outputs and
# exports as they were before the change set. create_change_set makes a
# CREATE stack with an empty template, so its OutputMap stays empty for
# good (DescribeStacks shows no Outputs), and execute_change_set registers
# no Export in the backend (ListExports is empty, Fn::ImportValue of
# another stack's export fails with "No export named ... found"); an UPDATE
# change set keeps the outputs CreateStack computed. The stack a change set
# creates also gets a fresh empty dict instead of the backend's exports
# (Stack.__init__ receives no cross_stack_resources), and create_stack
# passes `self.exports or {}`, a new dict while the region has no export
# yet: either way Fn::ImportValue cannot see exports made later.
#
# The patch points the stack's resource map at the backend's exports before
# the change set is applied, then rebuilds the OutputMap from the new
# template (as Stack.update does for UpdateStack) and registers the stack's
# exports, dropping those the new template no longer has, as CreateStack
# and DeleteStack do.
def patch_change_set_outputs_and_exports():
    original = Backend.execute_change_set

    def execute_change_set(self, change_set_name, stack_name=None):
        change_set = self.change_sets.get(change_set_name)
        if change_set is None:
            for cs in self.change_sets.values():
                if cs.change_set_name == change_set_name:
                    change_set = cs
        stack = self.stacks.get(change_set.stack_id) if change_set else None
        if stack is not None:
            stack.cross_stack_resources = self.exports
            stack.resource_map.cross_stack_resources = self.exports
        original(self, change_set_name, stack_name)
        if stack is None:
            return
        stack._parse_template()
        stack.description = stack.template_dict.get("Description")
        stack.output_map = stack._create_output_map()
        exports = stack.exports
        taken = [
            e.name
            for e in exports
            if e.name in self.exports
            and self.exports[e.name].exporting_stack_id != stack.stack_id
        ]
        if taken:
            raise ValidationError(
                stack.stack_id,
                message=f"Export names must be unique across a given region. Export(s) {taken} already exist in this region.",
            )
        for name in [
            n for n, e in self.exports.items() if e.exporting_stack_id == stack.stack_id
        ]:
            del self.exports[name]
        for e in exports:
            self.exports[e.name] = e

    Backend.execute_change_set = execute_change_set
    applied.append("ExecuteChangeSet computes outputs and registers exports")


# Gap 2 (moto 5.2.1): UpdateTerminationProtection is not implemented (the
# server answers HTTP 500 "The update_termination_protection action has
# not been implemented"), and DeleteStack deletes a protected stack.
#
# The patch adds the action with CloudFormation's wire shape (StackName as
# a name or ID, EnableTerminationProtection; the answer is
# UpdateTerminationProtectionResult/StackId, serialized by moto from the
# botocore model like its other actions), sets the attribute DescribeStacks
# already reports, and makes DeleteStack refuse a protected stack with
# CloudFormation's ValidationError.
def patch_termination_protection():
    if hasattr(CloudFormationResponse, "update_termination_protection"):
        return

    def update_termination_protection(self):
        name = self._get_param("StackName")
        stack = self.cloudformation_backend.get_stack(name)
        if stack.status == "DELETE_COMPLETE":
            raise ValidationError(name)
        stack.enable_termination_protection = self._get_bool_param(
            "EnableTerminationProtection", False
        )
        return ActionResult({"StackId": stack.stack_id})

    CloudFormationResponse.update_termination_protection = update_termination_protection

    original_delete = Backend.delete_stack

    def delete_stack(self, name_or_stack_id):
        for stack in self.stacks.values():
            if name_or_stack_id in (stack.stack_id, stack.name) and stack.enable_termination_protection:
                raise ValidationError(
                    name_or_stack_id,
                    message=f"Stack [{stack.name}] cannot be deleted while TerminationProtection is enabled",
                )
        original_delete(self, name_or_stack_id)

    Backend.delete_stack = delete_stack
    applied.append("UpdateTerminationProtection, and DeleteStack refuses a protected stack")


# Gap 3 (moto 5.2.1): moto implements the EKS API (CreateCluster,
# DescribeCluster, ...) but its CloudFormation has no AWS::EKS::Cluster
# model: a stack holding one reports CREATE_COMPLETE with nothing made,
# Ref and Fn::GetAtt of it resolve to nothing, and DescribeStackResources
# of the stack fails with an internal error (its resource map holds None).
#
# The patch registers a CloudFormation model for AWS::EKS::Cluster backed by
# moto's own EKS backend: creating it calls EKSBackend.create_cluster with
# the template's properties in the EKS API's shapes (CloudFormation's
# PascalCase keys become the API's camelCase ones; Logging's
# ClusterLogging.EnabledTypes becomes logging.clusterLogging; Tags become a
# map), so DescribeCluster and ListClusters see the cluster. As EKS does, it
# adds the cluster security group "eks-cluster-sg-NAME-..." to the VPC of
# the cluster's subnets when moto's EC2 knows them (resourcesVpcConfig then
# reports vpcId and clusterSecurityGroupId). Ref is the cluster's name;
# Fn::GetAtt gives Arn, Endpoint, CertificateAuthorityData,
# OpenIdConnectIssuerUrl, ClusterSecurityGroupId and EncryptionConfigKeyArn
# (moto's record has no cluster Id, so GetAtt Id is refused). A change of
# Name replaces the cluster (created first, the old one deleted); other
# changes are applied to the record (version, logging, tags, endpoint
# access), as EKS's UpdateClusterConfig and UpdateClusterVersion would.
# Deleting the resource deletes the cluster and its security group.
def register_eks_cluster_model():
    if "AWS::EKS::Cluster" in cfn_parsing.get_model_map():
        return
    from moto.ec2.models import ec2_backends
    from moto.eks.models import eks_backends

    def camel(value):
        if isinstance(value, dict):
            return {k[:1].lower() + k[1:]: camel(v) for k, v in value.items()}
        if isinstance(value, list):
            return [camel(v) for v in value]
        return value

    def api_logging(props):
        enabled = [t["Type"] for t in props.get("Logging", {}).get("ClusterLogging", {}).get("EnabledTypes", [])]
        if not enabled:
            return None
        every = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
        return {"clusterLogging": [
            {"types": enabled, "enabled": True},
            {"types": [t for t in every if t not in enabled], "enabled": False},
        ]}

    def api_tags(props):
        return {t["Key"]: t["Value"] for t in props.get("Tags", [])}

    class EKSClusterResource(CloudFormationModel):
        # moto's model metaclass files each model under the service its
        # module names (moto.SERVICE....).
        __module__ = "moto.eks.models"

        def __init__(self, cluster, account_id, region_name):
            self.cluster = cluster
            self.account_id = account_id
            self.region_name = region_name

        @staticmethod
        def cloudformation_name_type():
            return "Name"

        @staticmethod
        def cloudformation_type():
            return "AWS::EKS::Cluster"

        @property
        def physical_resource_id(self):
            return self.cluster.name

        @classmethod
        def has_cfn_attr(cls, attr):
            return attr in (
                "Arn", "Endpoint", "CertificateAuthorityData", "OpenIdConnectIssuerUrl",
                "ClusterSecurityGroupId", "EncryptionConfigKeyArn",
            )

        def get_cfn_attribute(self, attribute_name):
            from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

            c = self.cluster
            if attribute_name == "Arn":
                return c.arn
            if attribute_name == "Endpoint":
                return c.endpoint
            if attribute_name == "CertificateAuthorityData":
                return c.certificate_authority["data"]
            if attribute_name == "OpenIdConnectIssuerUrl":
                return c.identity["oidc"]["issuer"]
            if attribute_name == "ClusterSecurityGroupId" and c.resources_vpc_config.get("clusterSecurityGroupId"):
                return c.resources_vpc_config["clusterSecurityGroupId"]
            if attribute_name == "EncryptionConfigKeyArn":
                return (c.encryption_config or [{}])[0].get("provider", {}).get("keyArn", "")
            raise UnformattedGetAttTemplateException()

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            props = cloudformation_json["Properties"]
            vpc = camel(props.get("ResourcesVpcConfig", {}))
            ec2 = ec2_backends[account_id][region_name]
            subnets = [s for s in vpc.get("subnetIds", []) if any(s in z for z in ec2.subnets.values())]
            group = None
            if subnets:
                vpc["vpcId"] = ec2.get_subnet(subnets[0]).vpc_id
                group = ec2.create_security_group(
                    name=f"eks-cluster-sg-{resource_name}-{ec2.account_id[-6:]}",
                    description="EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.",
                    vpc_id=vpc["vpcId"],
                    tags={"kubernetes.io/cluster/" + resource_name: "owned", "aws:eks:cluster-name": resource_name},
                )
                vpc["clusterSecurityGroupId"] = group.id
            cluster = eks_backends[account_id][region_name].create_cluster(
                name=resource_name,
                role_arn=props["RoleArn"],
                resources_vpc_config=vpc,
                version=props.get("Version"),
                kubernetes_network_config=camel(props.get("KubernetesNetworkConfig")) or None,
                logging=api_logging(props),
                tags=api_tags(props),
                encryption_config=camel(props.get("EncryptionConfig")) or None,
                remote_network_config=camel(props.get("RemoteNetworkConfig")) or None,
            )
            return cls(cluster, account_id, region_name)

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
            props = cloudformation_json["Properties"]
            if new_resource_name != original_resource.cluster.name:
                new = cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
                original_resource.delete(account_id, region_name)
                return new
            c = original_resource.cluster
            c.version = props.get("Version") or c.version
            c.logging = api_logging(props) or c.logging
            c.tags = api_tags(props)
            for key in ("endpointPublicAccess", "endpointPrivateAccess", "publicAccessCidrs"):
                value = camel(props.get("ResourcesVpcConfig", {})).get(key)
                if value is not None:
                    c.resources_vpc_config[key] = value
            return original_resource

        @classmethod
        def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
            eks_backends[account_id][region_name].delete_cluster(resource_name)

        def delete(self, account_id, region_name):
            eks_backends[account_id][region_name].delete_cluster(self.cluster.name)
            group = self.cluster.resources_vpc_config.get("clusterSecurityGroupId")
            if group:
                ec2_backends[account_id][region_name].delete_security_group(group_id=group)

    global eks_cluster_model
    eks_cluster_model = EKSClusterResource  # __subclasses__ holds weak references
    cfn_parsing.get_model_list.cache_clear()
    cfn_parsing.get_model_map.cache_clear()
    cfn_parsing.get_name_type_map.cache_clear()
    applied.append("AWS::EKS::Cluster backed by moto's EKS")


def main():
    patch_change_set_outputs_and_exports()
    patch_termination_protection()
    register_eks_cluster_model()
    print(f"eksforge moto launcher: moto {moto.__version__}; patched: {'; '.join(applied) or 'nothing'}", flush=True)
    from moto.server import main as server_main

    server_main(sys.argv[1:])


if __name__ == "__main__":
    main()
