"""Harness pipeline vocabulary (harness-pipelines.md): the stage and step
types, the IaC plugin steps and their commands. The pipeline model that reads
pipeline files is `model/pipeline.py`."""

from __future__ import annotations

import re
from typing import Optional

from .engines import Engine

IACM_STAGE = "IACM"
TOFU_PLUGIN = "IACMOpenTofuPlugin"
TERRAFORM_PLUGIN = "IACMTerraformPlugin"
TERRAGRUNT_PLUGIN = "IACMTerragruntPlugin"
PLUGIN_ENGINES = {TOFU_PLUGIN: Engine.OPENTOFU, TERRAFORM_PLUGIN: Engine.TERRAFORM}
# `IACM_TOFU_INIT` and the like (harness-pipelines.md "Not real step types"):
# engine and command in one made-up type name.
_SEED_DOC_TYPE = re.compile(r"IACM_(TOFU|OPENTOFU|TF|TERRAFORM|TERRAGRUNT)_([A-Z_]+)", re.IGNORECASE)
_SEED_DOC_PLUGIN = {"tofu": TOFU_PLUGIN, "opentofu": TOFU_PLUGIN, "tf": TERRAFORM_PLUGIN,
                    "terraform": TERRAFORM_PLUGIN, "terragrunt": TERRAGRUNT_PLUGIN}


def seed_doc_step(step_type: Optional[str]) -> Optional[tuple[str, str]]:
    """(plugin type, command) that a made-up seed-document type means:
    `IACM_TOFU_INIT` -> ("IACMOpenTofuPlugin", "init"); None for others."""
    found = _SEED_DOC_TYPE.fullmatch(step_type.strip()) if isinstance(step_type, str) else None
    if found is None:
        return None
    return _SEED_DOC_PLUGIN[found.group(1).lower()], found.group(2).lower().replace("_", "-")


# Steps whose `spec.command` is an IaC command the ordering rules read.
COMMAND_PLUGINS = (TOFU_PLUGIN, TERRAFORM_PLUGIN, TERRAGRUNT_PLUGIN)
SCRIPT_STEPS = ("Run", "ShellScript", "Plugin")
# Steps that stop a run for a person (IACM504; IACMApproval only with autoApprove off).
# harness-pipelines.md names IACMApproval and HarnessApproval, the approval steps
# of IaCM; Harness's other approval steps (KNOWN_STEP_TYPES) gate a run the same way.
APPROVAL_STEPS = ("IACMApproval", "HarnessApproval", "JiraApproval", "ServiceNowApproval", "CustomApproval")
# The `template.type` values of pipeline templates (the others are not pipelines).
PIPELINE_TEMPLATE_TYPES = ("Pipeline", "Stage", "StepGroup", "Step")

# Commands of the Terraform/OpenTofu plugin steps (harness-pipelines.md).
PLUGIN_COMMANDS = ("init", "plan", "apply", "destroy", "plan-destroy", "plan-refresh-only", "apply-refresh-only",
                   "detect-drift", "validate", "fmt", "import", "removed", "migrate-state")

# Harness step types (v0 schema): IaCM, CI, CD, custom/approval and security steps.
KNOWN_STEP_TYPES = frozenset("""
IACMOpenTofuPlugin IACMTerraformPlugin IACMTerragruntPlugin IACMApproval IACMModuleTestPlugin IACMAnsiblePlugin
IACMAwsCdkPlugin IACMTFLint IACMTFSec IACMTFCompliance IACMCheckov IACMBlastRadiusAgent IACMRemediationAgent
IACMTemplate IACMCostEstimation IACMTerraformPlan
Run RunTests Test Background Plugin GitClone Action Bitrise Container ShellScript ShellScriptProvision Http Email
Wait Queue Barrier Policy HarnessApproval CustomApproval JiraApproval ServiceNowApproval JiraCreate JiraUpdate
ServiceNowCreate ServiceNowUpdate ServiceNowImportSet EventListener RONotify FilesUpload IdpAction Agent Template
BuildAndPushDockerRegistry BuildAndPushECR BuildAndPushGCR BuildAndPushGAR BuildAndPushACR DockerBuild
RestoreCacheS3 SaveCacheS3 RestoreCacheGCS SaveCacheGCS RestoreCacheHarness SaveCacheHarness S3Upload GCSUpload
ArtifactoryUpload FlagConfiguration Security AquaTrivy Anchore AquaSecurity AWSECR AWSSecurityHub Bandit BlackDuck
Brakeman Burp Checkmarx CheckmarxOne Checkov Clair CodeQL Coverity CustomIngest DataTheorem DockerContentTrust
Fortify FortifyOnDemand Gitleaks Grype JfrogXray Mend Metasploit Nessus NexusIQ Nikto Nmap Openvas Owasp Prowler
Qualys Reapsaw ShiftLeft Snyk Sonarqube Sysdig Semgrep Traceable Veracode Wiz Zap OsvScanner CortexCloud
SscaOrchestration SscaEnforcement CdSscaOrchestration CdSscaEnforcement ProvenanceAttestation SlsaVerification
ArtifactSigning ArtifactVerification
K8sRollingDeploy K8sRollingRollback K8sApply K8sBGSwapServices K8sBlueGreenStageScaleDown K8sCanaryDelete
K8sCanaryDeploy K8sBlueGreenDeploy K8sDelete K8sDiff K8sRollout K8sScale K8sDryRun K8sTrafficRouting K8sPatch
HelmBGDeploy HelmBlueGreenSwapStep HelmCanaryDeploy HelmCanaryDelete HelmDelete HelmDeploy HelmRollback
TerraformPlan TerraformApply TerraformDestroy TerraformRollback TerraformCloudRun TerraformCloudRollback
TerragruntPlan TerragruntApply TerragruntDestroy TerragruntRollback
CreateStack DeleteStack RollbackStack AzureCreateARMResource AzureCreateBPResource AzureARMRollback
AzureSlotDeployment AzureTrafficShift AzureSwapSlot AzureWebAppRollback AzureFunctionDeploy AzureFunctionRollback
ServerlessAwsLambdaDeploy ServerlessAwsLambdaRollback ServerlessAwsLambdaPrepareRollbackV2
ServerlessAwsLambdaPackageV2 ServerlessAwsLambdaDeployV2 ServerlessAwsLambdaRollbackV2
AwsLambdaDeploy AwsLambdaRollback AwsLambdaCanaryDeploy AwsLambdaCanaryRollback AwsLambdaTrafficShift
AwsSamDeploy AwsSamBuild AwsSamRollback AwsCdkBootstrap AwsCdkSynth AwsCdkDiff AwsCdkDeploy AwsCdkDestroy
AwsCdkRollback AsgCanaryDeploy AsgCanaryDelete AsgRollingDeploy AsgRollingRollback AsgBlueGreenDeploy
AsgBlueGreenRollback AsgBlueGreenSwapService AsgSetup AsgPhasedDeploy AsgShiftTraffic AsgSteadyState AsgScale
AsgRollback EcsRollingDeploy EcsRollingRollback EcsCanaryDeploy EcsCanaryDelete EcsBlueGreenCreateService
EcsBlueGreenSwapTargetGroups EcsBlueGreenRollback EcsRunTask EcsServiceSetup EcsUpgradeContainer
EcsBasicRollback GoogleCloudFunctionsDeploy GoogleCloudFunctionsDeployWithoutTraffic
GoogleCloudFunctionsTrafficShift GoogleCloudFunctionsRollback GoogleCloudFunctionsGenOneDeploy
GoogleCloudFunctionsGenOneRollback GoogleCloudRunPrepareRollbackData GoogleCloudRunDeploy
GoogleCloudRunTrafficShift GoogleCloudRunRollback GoogleCloudRunJob TasSwapRoutes TasRollback TasAppResize
TasBasicAppSetup TasBGAppSetup TasCanaryAppSetup TasSwapRollback TasCommand TasRollingDeploy TasRollingRollback
TasRouteMapping AppResize AppRollback SwapRollback SwapRoutes BasicAppSetup BGAppSetup CanaryAppSetup
Command DownloadManifests DownloadAwsS3 DownloadHarnessStore DownloadServiceConfig GitOpsUpdateReleaseRepo
GitOpsFetchLinkedApps GitOpsMergePR GitOpsPR GitOpsSync RevertPR UpdateReleaseRepo MergePR FetchLinkedApps
Verify AnalyzeDeploymentImpact ChaosExperiment ElastigroupDeploy ElastigroupRollback ElastigroupSetup
ElastigroupBGStageSetup ElastigroupSwapRoute Dependencies ServiceNowCreate
ShellScriptStep CustomStage DBSchemaApply DBSchemaRollback DBSchemaRollbackSql LiquibaseCommand
""".split())
