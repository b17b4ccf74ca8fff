provider "tfe" {
  hostname = "tfe.acme.io"
  token    = "mBnBZ7HAOtEsxt.atlasv1.TFSlEtNoQaoBOkwwOA7tOggYDi0TIueidA9G2m7kbtVsPDTDR3z7HUadiQTaoDQy3nu"
}
