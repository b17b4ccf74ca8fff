provider "kubernetes" {
  host                   = "https://10.0.0.1:6443"
  cluster_ca_certificate = base64decode(var.cluster_ca)
  token                  = "eyJhbGciOiJSUzI1NiIsImtpZCI6Ikin3to2F61aQ7nbgloouN.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Iiun91zkIRlDb9PBcsB1hJlNpfVdrnCY.uFyeUhwksU8dSaNrFWv5SRclfFhhqCmzhp59yZk4d6-"
}
