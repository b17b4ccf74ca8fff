resource "null_resource" "bootstrap" {
  provisioner "remote-exec" {
    inline = ["sudo systemctl restart app"]
    connection {
      type     = "ssh"
      host     = "10.0.1.10"
      user     = "ubuntu"
      password = "kXuSw4-hwO3Ti!"
    }
  }
}
