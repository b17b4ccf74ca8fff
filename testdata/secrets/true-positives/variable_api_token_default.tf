variable "datadog_api_key" {
  description = "Datadog API key"
  default     = "26be55ac964131b5250f067b74c68bd1"
}
