"""The embedded broker (no REDIS_URL): kombu's filesystem transport, made safe for several
processes writing and reading one queue folder at once.

kombu's own transport creates each message file in the queue folder and only then writes it,
so a worker listing the folder in between takes an empty or half-written message, cannot
decode it and stops ("Unrecoverable error: JSONDecodeError"), and no webhook is sent until it
is restarted. Here a message is written beside the queue and renamed into it once complete
(a rename within one filesystem is atomic), and a message taken from the queue is moved into
the processed folder, also under the data directory, instead of the system's temp folder,
which may be another filesystem, where a move is a copy that two workers can race on."""

import os
import uuid
from queue import Empty
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        staged = os.path.join(self.processed_folder, f"{name}.part")
        try:
            with open(staged, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(staged, os.path.join(self.data_folder_out, name))
        except OSError as exc:
            raise ChannelError(f"Cannot add {name!r} to the queue folder.") from exc

    def _get(self, queue):
        wanted = f"{queue}.msg"
        for name in sorted(os.listdir(self.data_folder_in)):
            if name.partition(".")[2] != wanted:
                continue
            taken = os.path.join(self.processed_folder, name)
            try:
                os.rename(os.path.join(self.data_folder_in, name), taken)
            except OSError:
                continue  # another consumer took it first
            try:
                with open(taken, "rb") as file:
                    payload = file.read()
                os.remove(taken)
            except OSError as exc:
                raise ChannelError(f"Cannot read {taken!r} from the queue.") from exc
            return loads(bytes_to_str(payload))
        raise Empty()


class Transport(filesystem.Transport):
    Channel = Channel
