"""A DNS server for the AOT training run only: one SRV name and its target's A record.

  training-dns.py SRV_NAME TARGET PORT

Listens on a UDP port of the kernel's choosing on 127.0.0.1 and prints it. Answers SRV for
SRV_NAME (priority 1, weight 1, TARGET:PORT, TTL 5) and A 127.0.0.1 for TARGET; NXDOMAIN for any
other name. Enough for dnsjava's queries, nothing more: the image's tests use dnsmasq.
"""
import socket
import struct
import sys

SRV, A, IN = 33, 1, 1


def encode(name):
    return b"".join(bytes([len(label)]) + label.encode() for label in name.strip(".").split(".")) + b"\0"


def main():
    name, target, port = encode(sys.argv[1]), encode(sys.argv[2]), int(sys.argv[3])
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    print(server.getsockname()[1], flush=True)
    while True:
        query, peer = server.recvfrom(512)
        end = 12
        while end < len(query) and query[end]:
            end += query[end] + 1
        qname, (qtype,) = query[12:end + 1], struct.unpack(">H", query[end + 1:end + 3])
        answers = []
        if qname == name and qtype == SRV:
            data = struct.pack(">HHH", 1, 1, port) + target
            answers.append(qname + struct.pack(">HHIH", SRV, IN, 5, len(data)) + data)
        elif qname == target and qtype == A:
            answers.append(qname + struct.pack(">HHIH", A, IN, 5, 4) + socket.inet_aton("127.0.0.1"))
        known = qname in (name, target)
        flags = 0x8400 | (0 if known else 3)  # response, authoritative; NXDOMAIN when unknown
        header = struct.pack(">HHHHHH", struct.unpack(">H", query[:2])[0], flags, 1, len(answers), 0, 0)
        server.sendto(header + query[12:end + 5] + b"".join(answers), peer)


if __name__ == "__main__":
    main()
