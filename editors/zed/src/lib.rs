// Starts `iacm-lint server` (found on the worktree's PATH) for Terraform, tfvars and YAML files.
use zed_extension_api as zed;

struct IacmLint;

impl zed::Extension for IacmLint {
    fn new() -> Self {
        IacmLint
    }

    fn language_server_command(
        &mut self,
        _language_server_id: &zed::LanguageServerId,
        worktree: &zed::Worktree,
    ) -> zed::Result<zed::Command> {
        let command = worktree
            .which("iacm-lint")
            .ok_or_else(|| "iacm-lint is not on the PATH: pip install 'iacm-lint[server]'".to_string())?;
        Ok(zed::Command { command, args: vec!["server".to_string()], env: Vec::new() })
    }
}

zed::register_extension!(IacmLint);
