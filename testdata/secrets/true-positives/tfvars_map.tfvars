app_settings = {
  LOG_LEVEL       = "info"
  SMTP_PASSWORD   = "cwVM9c-MeGuPr!"
}
