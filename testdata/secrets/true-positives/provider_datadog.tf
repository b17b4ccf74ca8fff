provider "datadog" {
  api_url = "https://api.datadoghq.eu/"
  api_key = "56191e28c2f2388dc10da5bffacefd69"
  app_key = "7312bba82af983eadec108b08c3ce052e96819b8"
}
