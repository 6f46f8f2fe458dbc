"""Kata-kata dalam Bahasa Indonesia untuk saran, masalah dan tindakan hari ini.

(Keys equal to english.py's; a test keeps them so.)
"""

from __future__ import annotations

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip

TEXT: dict[str, str] = {
    "advice.on_track": (
        "Tetap di {office}: peluang rombongan tepat waktu {p_stay}, sudah mencapai target {target}."
    ),
    "advice.staying_worth_most": (
        "Tetap di {office} ({p_stay} untuk rombongan): pindah ke {to} hari ini memberi "
        "{p_now}, tidak sepadan dengan biayanya."
    ),
    "advice.same_system": (
        "Tidak ada pilihan yang lebih baik: {to} memakai sistem yang sama yang sedang "
        "terganggu ({systems}) dengan {office}, jadi pindah tidak menghindari gangguan itu "
        "({p_now} dibanding {p_stay} bila tetap)."
    ),
    "advice.other_disrupted": (
        "Tidak ada pilihan yang lebih baik: {to} juga sedang terganggu; pindah memberi "
        "{p_now} dibanding {p_stay} bila tetap."
    ),
    "advice.no_alternative": (
        "Tidak ada pilihan yang lebih baik: belum ada kantor lain yang tercatat untuk "
        "{office}; tetap memberi {p_stay}."
    ),
    "advice.switch_gains": (
        "Pindah ke {to} hari ini: peluang rombongan tepat waktu {p_advised}, dibanding "
        "{p_stay} bila tetap di {office}; sepadan dengan biayanya ({cost})."
    ),
    "advice.waiting_keeps": (
        "Tunggu kabar dari {office} sampai {date}; bila pencetakan belum jalan lagi, pindah "
        "ke {to} saat itu: {p_wait} untuk rombongan, dibanding {p_now} bila pindah hari ini, "
        "dan {p_recovered} kemungkinan tidak perlu pindah sama sekali."
    ),
    "advice.start_here": (
        "Ajukan di {office} hari ini: peluang rombongan tepat waktu {p_advised}."
    ),
    "advice.start_elsewhere": (
        "Ajukan di {to} hari ini, bukan di {office}: {p_advised} untuk rombongan dibanding "
        "{p_stay}."
    ),
    "advice.cannot_print_here": (
        "Ajukan di {to} hari ini: {office} belum bisa mencetak. {p_advised} untuk rombongan, "
        "dibanding {p_stay} bila diajukan di {office}."
    ),
    "advice.express_gains": (
        "Ajukan layanan percepatan di {to} (Rp 1.000.000 per orang): {p_advised} untuk "
        "rombongan dibanding {p_stay}."
    ),
    "advice.later_group_seats": (
        "Pindahkan ke {group} yang masih ada kursi: peluang tepat waktu di sana {p_wait}, dan "
        "sisa rombongan ini menjadi {p_advised}."
    ),
    "advice.urgent_only": (
        "Tetap terlambat apa pun yang dilakukan ({p_advised}): mohon layanan mendesak kepada "
        "kepala {office}; perkiraan tidak dapat mengandalkannya."
    ),
    "loss.lead": "Yang hilang: {what}.",
    "loss.fee_paid": "biaya yang sudah dibayar ({amount})",
    "loss.recording": "perekaman yang sudah dilakukan",
    "loss.appointment": "jadwal kedatangan",
    "problem.expires": (
        "Paspor berlaku sampai {expires}; harus berlaku setidaknya sampai {needed}: ajukan "
        "paspor baru."
    ),
    "problem.expires_applying": (
        "Paspor berlaku sampai {expires}; harus berlaku setidaknya sampai {needed}: paspor "
        "baru yang sedang diajukan akan menggantikannya."
    ),
    "problem.name": (
        "Nama di paspor hanya {words} kata; wajib {required} kata: ajukan paspor baru dengan "
        "endorsemen nama (nama ayah atau kakek)."
    ),
    "problem.name_applying": (
        "Nama di paspor hanya {words} kata; wajib {required} kata: paspor baru yang sedang "
        "diajukan akan menggantikannya (pastikan memuat endorsemen nama)."
    ),
    "problem.not_started": "Belum punya paspor dan belum mengajukan.",
    "todo.apply": "Daftar dan ajukan paspor di {office}.",
    "todo.apply_express": "Ajukan paspor di {office} dengan layanan percepatan.",
    "todo.attend": "Datang sesuai jadwal di {office} pada {date}.",
    "todo.pay": "Bayar biaya paspor.",
    "todo.collect": "Ambil paspor di {office}.",
    "todo.renew": "Ajukan paspor baru: masa berlaku paspor lama terlalu pendek.",
    "todo.name": "Ajukan paspor baru dengan endorsemen nama.",
    "todo.switch": "Mulai pengajuan baru di {office}.",
    "todo.wait": (
        "Tunggu kabar dari {office} sampai {date}; pindah bila pencetakan belum jalan lagi."
    ),
    "todo.move_group": "Pindah ke {group}.",
    "todo.ask_urgent": "Mohon layanan mendesak kepada kepala {office}.",
    "todo.phone": "Minta nomor telepon agar jamaah bisa dihubungi.",
    "lever.stay": "Tetap di {office}",
    "lever.apply": "Ajukan di {office}",
    "lever.switch_now": "Pindah ke {to} hari ini",
    "lever.switch_by": "Tunggu kabar sampai {date}, lalu pindah ke {to}",
    "lever.start_at": "Ajukan di {to}",
    "lever.express": "Layanan percepatan di {to}",
    "lever.later_group": "Pindah ke {group}",
    "lever.ask_urgent": "Mohon layanan mendesak kepada {office}",
    "lever.no_better_option": "Tidak ada pilihan yang lebih baik daripada tetap di {office}",
    "cost.none": "tanpa biaya",
    "loss.fee_paid_on": "biaya yang sudah dibayar ({amount}, {date})",
    "loss.recording_on": "perekaman tanggal {date}",
    "loss.appointment_on": "jadwal kedatangan tanggal {date}",
    "recovery.ended": "sudah pulih sejak {date}",
    "recovery.expected": "diperkirakan pulih sekitar {p50}, dan kemungkinan besar sebelum {p90}",
    "recovery.expected_same": "diperkirakan pulih sekitar {p50}",
    "recovery.from.as_given": "perkiraan pihak kantor, apa adanya",
    "recovery.from.outside_view": "tanpa perkiraan resmi: dari lamanya gangguan serupa",
    "recovery.from.combined": (
        "perkiraan pihak kantor berbobot {weight}, digabung dengan lamanya gangguan serupa"
    ),
    "recovery.similar": "dari {known} gangguan serupa, {longer} berlangsung lebih dari {days} hari",
    "recovery.own_estimates": "memperhitungkan {n} perkiraan lama yang dicatat biro",
}
