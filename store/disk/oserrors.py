"""What the operating system said, as a short Chinese phrase for a user's sentence.

`strerror` is English (and in the C locale always so): `No such file or directory`. A user
reads `法律援助工作经费.yaml: 无法读取（文件不存在）` instead.
"""

from __future__ import annotations

import errno

_REASONS = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许这样操作",
    errno.EISDIR: "这是文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统是只读的",
    errno.EEXIST: "文件已存在",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EMFILE: "打开的文件太多",
    errno.EBUSY: "文件正被占用",
    errno.EIO: "读写设备出错",
    errno.ELOOP: "符号链接循环",
}


def reason(e: OSError) -> str:
    """'文件不存在' for ENOENT; an errno without a phrase keeps the system's words."""
    if e.errno in _REASONS:
        return _REASONS[e.errno]
    return f"系统错误：{e.strerror or e}"


def cannot_read_detail(e: OSError) -> str:
    """What is wrong with a file that could not be read: '无法读取（文件不存在）'."""
    return f"无法读取（{reason(e)}）"


def cannot_read(what: object, e: OSError) -> str:
    """The sentence for a file that could not be read: '<what>: 无法读取（文件不存在）'."""
    return f"{what}: {cannot_read_detail(e)}"
