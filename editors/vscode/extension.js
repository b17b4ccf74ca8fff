// Starts `iacm-lint server` for the workspace and hands it the `iacm-lint.*` settings.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function settings() {
  const { path, ...rest } = vscode.workspace.getConfiguration("iacm-lint");
  return JSON.parse(JSON.stringify(rest));
}

function activate(context) {
  const command = vscode.workspace.getConfiguration("iacm-lint").get("path") || "iacm-lint";
  client = new LanguageClient(
    "iacm-lint",
    "iacm-lint",
    { command, args: ["server"], transport: TransportKind.stdio },
    {
      documentSelector: [
        { scheme: "file", pattern: "**/*.{tf,tofu,tfvars,tfbackend,tf.json,tofu.json,tfvars.json}" },
        { scheme: "file", language: "yaml" },
      ],
      initializationOptions: { "iacm-lint": settings() },
      synchronize: { configurationSection: "iacm-lint" },
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
